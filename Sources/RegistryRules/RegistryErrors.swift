import Foundation

/// The Distribution error body, `{"errors":[{"code","message"}]}`.
public struct RegistryErrors: Decodable, Sendable {
    public struct Entry: Decodable, Sendable {
        /// The code as sent (a registry may send one the spec does not name).
        public var text: String
        public var message: String
        /// The spec's code, or nil for one it does not name.
        public var code: RegistryErrorCode? { RegistryErrorCode(rawValue: text) }

        enum CodingKeys: String, CodingKey { case code, message }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            text = (try? c.decodeIfPresent(String.self, forKey: .code)) ?? "?"
            message = (try? c.decodeIfPresent(String.self, forKey: .message)) ?? ""
        }
    }

    /// At most ten: a hostile registry may send thousands.
    public var errors: [Entry]

    enum CodingKeys: String, CodingKey { case errors }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        errors = Array(((try? c.decodeIfPresent([Entry].self, forKey: .errors)) ?? []).prefix(10))
    }

    /// The errors of `body`; none for a body that is not the Distribution error document (an empty
    /// 404, a proxy's HTML page).
    public static func parse(_ body: Data?) -> [Entry] {
        guard let body, let document = try? JSONDecoder().decode(RegistryErrors.self, from: body) else { return [] }
        return document.errors
    }

    /// Whether `body` carries `code`.
    public static func says(_ code: RegistryErrorCode, in body: Data?) -> Bool { parse(body).contains { $0.code == code } }
}
