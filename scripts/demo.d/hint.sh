# Sourced by scripts/demo: the closing hint, as lines a user can paste into a
# shell. The URL is single-quoted (it holds `&` and `?`), the binary named by
# its full path.

# Quotes one word for a POSIX shell (only when it needs quoting).
shell_quote() {
    case $1 in
        *[!A-Za-z0-9_./:=-]*|'') printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")" ;;
        *) printf '%s' "$1" ;;
    esac
}

# demo_hint URL BINARY
demo_hint() {
    local url=$1 bin=$2
    echo "The demo database stays available. To use it from this shell:"
    echo "  export DATABASE_URL=$(shell_quote "$url")"
    echo "  $(shell_quote "$bin") allocate history"
    echo "  $(shell_quote "$bin") report internal-share --format html --output share.html"
    echo "  $(shell_quote "$bin") allocate export-scenario scenario.json"
    echo "  $(shell_quote "$bin") allocate simulate --format table scenario.json"
}
