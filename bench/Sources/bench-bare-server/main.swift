// The HTTP limit of the machine: a bare Hummingbird POST handler that answers 200 and does nothing else.
// bench/ingest.sh runs the same load against it and against the daemon, and reports their ratio.
//
// With a STATUS, it is the counting sink of bench/forward.sh instead: every POST on PATH is answered STATUS (e.g.
// 204) and counted, with the number of distinct `webhook-id` headers among them (a repeat is a duplicate delivery);
// GET on PATH answers "requests=N distinct=M".
//
// Usage: bench-bare-server [PORT] [PATH] [STATUS]   (defaults: 8091, /authy/webhook, none: 200, not counted)
import Hummingbird
import Synchronization

let arguments = CommandLine.arguments
let port = arguments.count > 1 ? Int(arguments[1]) ?? 8091 : 8091
let path = arguments.count > 2 ? arguments[2] : "/authy/webhook"
let status = arguments.count > 3 ? Int(arguments[3]) : nil

struct Counts {
    var requests = 0
    var ids: Set<String> = []
}

let router = Router()
if let status {
    let counts = Mutex(Counts())
    let answer = HTTPResponse.Status(code: status)
    router.post(RouterPath(path)) { request, _ -> HTTPResponse.Status in
        let id = request.headers.first { $0.name.canonicalName == "webhook-id" }?.value
        counts.withLock {
            $0.requests += 1
            if let id { $0.ids.insert(id) }
        }
        return answer
    }
    router.get(RouterPath(path)) { _, _ -> String in
        counts.withLock { "requests=\($0.requests) distinct=\($0.ids.count)\n" }
    }
} else {
    router.post(RouterPath(path)) { _, _ -> HTTPResponse.Status in .ok }
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
