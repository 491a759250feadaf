import Foundation

/// A device on which every write fails with ENOSPC, like a full disk:
/// a private copy of `/dev/full` made with `mknod` in a temporary folder
/// when the tests run as root (so that a defect that replaces the file
/// instead of writing to it cannot damage the system's `/dev/full`), else
/// `/dev/full` itself.
public enum FullDevice {
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    public static func path() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("full").path
        let mknod = Process()
        mknod.executableURL = URL(fileURLWithPath: "/usr/bin/mknod")
        mknod.arguments = ["-m", "666", path, "c", "1", "7"]
        mknod.standardError = FileHandle.nullDevice
        if (try? mknod.run()) != nil {
            mknod.waitUntilExit()
            if mknod.terminationStatus == 0, isCharacterDevice(path) { return path }
        }
        guard isCharacterDevice("/dev/full") else {
            throw Unavailable(description: "/dev/full is not a character device here, and mknod is not allowed")
        }
        return "/dev/full"
    }

    public static func isCharacterDevice(_ path: String) -> Bool {
        let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
        return type == .typeCharacterSpecial
    }
}
