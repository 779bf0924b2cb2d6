import Foundation

/// libFuzzer target for the configuration parser: `DaemonConfiguration.parse` (INI reading, drop-in merging, schema
/// validation), its renderer for `--check-config`, and the value parsers `TimeSpan`, `ByteSize`, `ListenAddress`.
///
/// Input: up to three files separated by a `\u{1}` byte, read as the main file and then its drop-ins (the seeds are
/// the shipped `etc/*.conf` and small variations). The whole input is also given to each value parser.
///
/// Invariants (a violation traps, which libFuzzer reports as a crash):
/// - nothing traps, whatever the input;
/// - a configuration without secrets renders to text that parses back to the same settings (documented on
///   `renderEffective`); a rendering never depends on the secrets' values, only on whether they are set;
/// - a refused configuration's error does not depend on the values of the secrets (`SigningKey=`, `AppAPIKey=`,
///   `AccessKey=`, `APISigningKey=`): with every secret's value masked, the same input is refused with the same
///   error, so no message can quote a secret;
/// - refusals carry a non-empty code and message naming one of the input files;
/// - `TimeSpan.format`, `ByteSize.format` and `ListenAddress.description` print what parses back to the same value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let files = text.split(separator: "\u{1}", maxSplits: 2, omittingEmptySubsequences: false).enumerated()
        .map { (name: $0.offset == 0 ? "main.conf" : "drop-in-\($0.offset).conf", text: String($0.element)) }
    do {
        let configuration = try DaemonConfiguration.parse(files)
        ConfigFuzz.checkRendering(configuration)
    } catch {
        ConfigFuzz.checkRefusal(error, files: files, text: text)
    }
    ConfigFuzz.checkValues(text)
    return 0
}

enum ConfigFuzz {
    static func checkRendering(_ configuration: DaemonConfiguration) {
        var masked = configuration
        replaceSecrets(in: &masked) { $0.map { _ in "x" } }
        require(masked.renderEffective() == configuration.renderEffective(), "a secret's value was rendered")

        var withoutSecrets = configuration
        replaceSecrets(in: &withoutSecrets) { _ in nil }
        guard withoutSecrets == configuration else { return }
        let rendered = configuration.renderEffective()
        let reparsed: DaemonConfiguration
        do {
            reparsed = try DaemonConfiguration.parse([(name: "rendered.conf", text: rendered)])
        } catch {
            fail("the rendering does not parse back: \(error)\n\(rendered)")
        }
        require(comparable(reparsed) == comparable(configuration), "the rendering parses to other settings")
    }

    static func checkRefusal(_ error: ConfigurationError, files: [(name: String, text: String)], text: String) {
        require(!error.code.isEmpty && !error.message.isEmpty)
        require(files.contains { $0.name == error.file }, "the error names no input file")
        // Every secret key's name contains "Key": most inputs skip the scan (it dominated the harness's time).
        guard text.contains("Key") else { return }
        let bytes = Array(text.utf8)
        var masked = bytes
        var lineStart = 0
        for index in 0...bytes.count where index == bytes.count || [0x0A, 0x0D, 0x01].contains(bytes[index]) {
            defer { lineStart = index + 1 }
            guard let value = secretValue(bytes, lineStart..<index) else { continue }
            for position in value where !isSpace(bytes[position]) { masked[position] = maskByte[Int(bytes[position])] }
        }
        guard masked != bytes else { return }
        let maskedFiles = String(decoding: masked, as: UTF8.self)
            .split(separator: "\u{1}", maxSplits: 2, omittingEmptySubsequences: false).enumerated()
            .map { (name: files[$0.offset].name, text: String($0.element)) }
        do {
            _ = try DaemonConfiguration.parse(maskedFiles)
            fail("masking the secrets made the configuration valid; it was refused with: \(error)")
        } catch let maskedError {
            require(maskedError == error, "the error depends on a secret's value: \(error)")
        }
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
    /// Bytes the INI syntax gives a meaning to inside a value (quotes, comments, continuations).
    static let special = Set("\\\"'#;".utf8)
    /// Masks a secret's byte: the next printable, non-special ASCII byte, cyclically. A permutation, so that secrets
    /// that were equal (or different) stay so (the parser refuses two webhooks sharing one key), and every byte
    /// changes, so an error quoting a secret changes too.
    static let maskByte: [UInt8] = {
        let alphabet = (0x21...0x7E).map(UInt8.init).filter { !special.contains($0) }
        var table = (0...255).map(UInt8.init)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = alphabet[(index + 1) % alphabet.count] }
        return table
    }()

    /// The byte range of the value when `line` assigns a secret key a non-empty value of printable ASCII without
    /// `special` bytes, so that masking it cannot change how the file parses, only what the secret is.
    static func secretValue(_ bytes: [UInt8], _ line: Range<Int>) -> Range<Int>? {
        guard let equals = bytes[line].firstIndex(of: UInt8(ascii: "=")) else { return nil }
        let key = bytes[line.lowerBound..<equals].drop(while: isSpace).reversed().drop(while: isSpace).reversed()
        guard secretKeys.contains(String(decoding: key, as: UTF8.self)) else { return nil }
        let value = (equals + 1)..<line.upperBound
        guard value.contains(where: { !isSpace(bytes[$0]) }),
            bytes[value].allSatisfy({ $0 >= 0x20 && $0 < 0x7F && !special.contains($0) })
        else { return nil }
        return value
    }

    static func checkValues(_ text: String) {
        if let span = try? TimeSpan.parse(text) {
            require((try? TimeSpan.parse(TimeSpan.format(span))) == span, "TimeSpan.format does not round-trip")
        }
        if let size = try? ByteSize.parse(text) {
            require((try? ByteSize.parse(ByteSize.format(size))) == size, "ByteSize.format does not round-trip")
        }
        if let address = try? ListenAddress.parse(text) {
            require((try? ListenAddress.parse(address.description)) == address,
                    "ListenAddress.description does not round-trip")
        }
    }

    static let secretKeys: Set<String> = ["SigningKey", "AppAPIKey", "AccessKey", "APISigningKey"]

    static func replaceSecrets(in configuration: inout DaemonConfiguration, _ change: (String?) -> String?) {
        configuration.authy.appAPIKey = change(configuration.authy.appAPIKey)
        configuration.authy.accessKey = change(configuration.authy.accessKey)
        configuration.authy.apiSigningKey = change(configuration.authy.apiSigningKey)
        for index in configuration.webhooks.indices {
            configuration.webhooks[index].signingKey = change(configuration.webhooks[index].signingKey)
        }
    }

    /// The settings without where they came from (file names, lines, warnings about the files).
    static func comparable(_ configuration: DaemonConfiguration) -> DaemonConfiguration {
        var result = configuration
        result.sourceFiles = []
        result.warnings = []
        for index in result.webhooks.indices { result.webhooks[index].location = "" }
        return result
    }
}
