import Foundation

extension DaemonConfiguration {
    /// Reads PATH and PATH.d/*.conf, applies $CREDENTIALS_DIRECTORY; a missing main file is an error.
    ///
    /// Drop-ins are read in lexical (byte) order of their names after the main file; hidden files and names not
    /// ending in `.conf` are skipped, and a missing `PATH.d` is fine. Files that assign secrets and are readable by
    /// other users produce a warning in `warnings`.
    public static func load(path: String,
                            environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigurationError) -> DaemonConfiguration {
        var files: [(name: String, text: String)] = []
        if let text = try TextFileReader.contents(of: path) { files.append((path, text)) }
        for dropIn in try dropInPaths(for: path) {
            if let text = try TextFileReader.contents(of: dropIn) { files.append((dropIn, text)) }
        }
        let builder = try build(files, environment: environment)
        var configuration = builder.configuration
        for file in configuration.sourceFiles where builder.filesWithSecrets.contains(file) {
            if let mode = permissions(of: file), mode & 0o004 != 0 {
                configuration.warnings.append(
                    "\(file) holds secrets and is readable by other users (mode \(octal(mode))); "
                        + "run chmod o-r on it, or move the keys to credentials")
            }
        }
        return configuration
    }

    /// `PATH.d/*.conf` in lexical order.
    static func dropInPaths(for path: String) throws(ConfigurationError) -> [String] {
        let directory = path + ".d"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return []
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw .unreadable(directory, "cannot list the drop-in directory: \(error.localizedDescription)")
        }
        return names
            .filter { $0.hasSuffix(".conf") && !$0.hasPrefix(".") }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .map { directory + "/" + $0 }
            .filter { candidate in
                // A directory named x.conf is not a drop-in; symbolic links to files are.
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory) && !isDirectory.boolValue
            }
    }

    private static func permissions(of file: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: file))?[.posixPermissions] as? Int
    }

    private static func octal(_ mode: Int) -> String {
        let digits = String(mode & 0o7777, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
