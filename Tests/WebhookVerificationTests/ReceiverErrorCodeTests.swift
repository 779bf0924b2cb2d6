import Foundation
import Testing
import WebhookVerification

@Suite("ReceiverErrorCode: the one list of the receiver's error codes")
struct ReceiverErrorCodeTests {
    static let marker = "<!-- receiver-error-codes: kept equal to ReceiverErrorCode by a test -->"

    /// (status, codes) per row of the README's table of the receiver's answers.
    func readmeRows() throws -> [(status: Int, codes: [String])] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: Self.marker) else {
            Issue.record("README.md lacks the line \(Self.marker)")
            return []
        }
        var rows: [(Int, [String])] = []
        for line in lines[(start + 1)...] {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { break }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3, let status = Int(cells[1].filter(\.isNumber).prefix(3)) else { continue }
            let codes = cells[2].split(separator: "`", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 1 }.map { String($0.element) }
            rows.append((status, codes))
        }
        return rows
    }

    @Test("the README's table lists every code, each under its own status, and nothing else")
    func readmeTableMatchesTheEnum() throws {
        let rows = try readmeRows()
        var listed: [String: Int] = [:]
        for row in rows {
            for code in row.codes {
                #expect(listed[code] == nil, "\(code) appears twice in the README's table")
                listed[code] = row.status
            }
        }
        let known = Dictionary(uniqueKeysWithValues: ReceiverErrorCode.allCases.map { ($0.rawValue, $0.httpStatus) })
        #expect(Set(listed.keys).subtracting(known.keys).sorted() == [], "codes in the README that the receiver never answers with")
        #expect(Set(known.keys).subtracting(listed.keys).sorted() == [], "codes the receiver answers with that the README does not list")
        for (code, status) in listed where known[code] != nil {
            #expect(known[code] == status, "\(code) is listed under \(status), but the receiver answers it with \(known[code]!)")
        }
    }

    @Test("an error's status always comes from its code")
    func statusFollowsTheCode() {
        for code in ReceiverErrorCode.allCases {
            let error = DeliveryError(code, "test")
            #expect(error.code == code.rawValue)
            #expect(error.httpStatus == code.httpStatus)
            #expect((400..<600).contains(error.httpStatus))
        }
    }
}
