import Testing
@testable import AuthyWebhooksConfig

@Suite("reload rules, from the schema")
struct ReloadRuleTests {
    @Test("a reload keeps each start-only setting's running value, applies the rest, and names what it kept")
    func reloadKeepsStartOnlyValues() throws {
        let running = try parse("""
            [Receiver]
            Listen=127.0.0.1:8080
            MaxBodySize=64K
            [Store]
            Database=/var/lib/a.db
            Retention=30d
            [Control]
            Socket=/run/a.sock
            """)
        var next = try parse("""
            [Receiver]
            Listen=127.0.0.1:9090
            MaxBodySize=128K
            [Store]
            Database=/var/lib/b.db
            Retention=7d
            [Control]
            Socket=/run/a.sock
            """)
        let changed = next.keepStartOnlySettings(of: running)
        #expect(changed == ["[Receiver] Listen=", "[Store] Database="])
        #expect(next.receiver.listen == running.receiver.listen)
        #expect(next.store.database == "/var/lib/a.db")
        #expect(next.receiver.maxBodySize == 128 << 10, "a reloadable key takes the new value")
        #expect(next.store.retention == .seconds(7 * 86_400))
    }

    @Test("the start-only keys are exactly those the listeners, decoders and store are built with")
    func startOnlyKeysAreListedOnce() {
        let keys = DaemonConfiguration.startOnlyKeys
        #expect(Set(keys).count == keys.count)
        for key in ["[Receiver] Listen=", "[Control] Socket=", "[Store] Database=", "[Store] Synchronous="] {
            #expect(keys.contains(key))
        }
        for key in ["[Receiver] MaxBodySize=", "[Receiver] ReadTimeout=", "[Store] Retention=", "[Log] Level="] {
            #expect(!keys.contains(key), "\(key) is applied by a reload")
        }
        let known = Set(DaemonConfiguration.knownKeys.flatMap { section in section.keys.map { "[\(section.section)] \($0)=" } })
        #expect(Set(keys).isSubset(of: known))
    }
}
