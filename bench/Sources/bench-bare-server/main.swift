// The HTTP limit of the machine: a bare Hummingbird POST handler that answers 200 and does nothing else.
// bench/ingest.sh runs the same load against it and against the daemon, and reports their ratio.
//
// Usage: bench-bare-server [PORT] [PATH]   (defaults: 8091, /authy/webhook)
import Hummingbird

let arguments = CommandLine.arguments
let port = arguments.count > 1 ? Int(arguments[1]) ?? 8091 : 8091
let path = arguments.count > 2 ? arguments[2] : "/authy/webhook"

let router = Router()
router.post(RouterPath(path)) { _, _ -> HTTPResponse.Status in .ok }
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
