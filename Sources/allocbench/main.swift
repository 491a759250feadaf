// allocbench: times the allocation engine on generated scenarios.
//
//   swift build -c release --product allocbench
//   .build/release/allocbench            # 10k, 100k, 1M lines
//   .build/release/allocbench --quick    # 10k, 100k lines, fewer runs
import Allocation

#if canImport(Glibc)
import Glibc
#endif

/// Peak resident memory (VmHWM) in KiB, from /proc/self/status; 0 when unknown.
func peakMemoryKiB() -> Int {
    guard let f = fopen("/proc/self/status", "r") else { return 0 }
    defer { fclose(f) }
    var buf = [CChar](repeating: 0, count: 512)
    while fgets(&buf, Int32(buf.count), f) != nil {
        let line = String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if line.hasPrefix("VmHWM:") {
            return Int(line.dropFirst(6).filter { $0.isNumber }) ?? 0
        }
    }
    return 0
}

func ms(_ d: Duration) -> String {
    let (s, a) = d.components
    let micros = s * 1_000_000 + a / 1_000_000_000_000
    return "\(micros / 1000).\(String(micros % 1000 / 10).count == 1 ? "0" : "")\(micros % 1000 / 10)"
}

let arguments = CommandLine.arguments.dropFirst()
let quick = arguments.contains("--quick")
let sizes = quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000]
let runs = quick ? 3 : 5

print("| lines | customers | SKUs | weeks | allocations | best (ms) | median (ms) | peak RSS (MiB) |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|")
for n in sizes {
    let scenario = ScenarioGenerator(lines: n, customers: 2_000, skus: 3, weeks: 26, seed: 42).generate()
    let clock = ContinuousClock()
    var times: [Duration] = []
    var rows = 0
    for _ in 0..<runs {
        let start = clock.now
        let result = try await Allocator().allocateConcurrently(scenario)
        times.append(clock.now - start)
        rows = result.allocations.count
    }
    times.sort()
    print("| \(n) | 2000 | 3 | 26 | \(rows) | \(ms(times[0])) | \(ms(times[times.count / 2])) | \(peakMemoryKiB() / 1024) |")
}
