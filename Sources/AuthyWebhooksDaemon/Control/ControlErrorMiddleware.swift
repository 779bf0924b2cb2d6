import ControlProtocol
import HTTPTypes
import Hummingbird

/// Turns every failure into `{"error":{"code":…,"message":…}}` and stamps each answer with the daemon's version.
struct ControlErrorMiddleware: RouterMiddleware {
    typealias Context = ControlRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as ControlFailure {
            response = JSONResponse.error(error.status, code: error.code, message: error.message)
        } catch let error as ControlErrorResponse {
            response = JSONResponse.error(.badRequest, code: error.error.code, message: error.error.message)
        } catch let error as HTTPError {
            switch error.status {
            case .notFound:
                response = JSONResponse.error(.notFound, code: ControlErrorCode.notFound.rawValue, message: "no such endpoint: \(request.method) \(request.uri.path)")
            case .contentTooLarge:
                response = JSONResponse.error(.contentTooLarge, code: ControlErrorCode.payloadTooLarge.rawValue, message: "the request body is too large")
            default:
                response = JSONResponse.error(error.status, code: ControlErrorCode.badRequest.rawValue, message: error.body ?? error.status.reasonPhrase)
            }
        } catch {
            context.logger.error("control request failed: \(error)")
            response = JSONResponse.error(.internalServerError, code: ControlErrorCode.internalError.rawValue, message: "internal error: \(error)")
        }
        response.headers[HTTPField.Name(ControlAPI.versionHeader)!] = ControlProtocolVersion.string
        return response
    }
}

/// A control-API failure with its HTTP status and stable code.
struct ControlFailure: Error {
    var status: HTTPResponse.Status
    var code: String
    var message: String

    init(_ status: HTTPResponse.Status, _ code: ControlErrorCode, _ message: String) {
        self.status = status
        self.code = code.rawValue
        self.message = message
    }

    init(status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }
}
