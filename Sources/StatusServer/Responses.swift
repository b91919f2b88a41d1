import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import StatusAccess

enum Responses {
    static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        json(status, ByteBuffer(string: body))
    }

    static func json(_ status: HTTPResponse.Status, _ body: ByteBuffer) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
    }

    static func html(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    static func tooManyRequests(_ seconds: Int) -> Response {
        var response = json(.tooManyRequests, #"{"error":"too_many_attempts","retryAfterSeconds":\#(seconds)}"#)
        response.headers[.retryAfter] = String(seconds)
        return response
    }
}
