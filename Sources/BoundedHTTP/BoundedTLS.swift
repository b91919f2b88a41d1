import NIOSSL

extension TLSConfiguration {
    /// A client configuration whose connections end with their deadline: a connection cancelled
    /// at the deadline waits `shutdownTimeout` for the peer's close_notify, a dripping server never
    /// sends one, and NIOSSL's 5 s default would outlast a `--timeout` (HTTPClient's shutdown waits
    /// for it too).
    public static func boundedClient() -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.shutdownTimeout = .milliseconds(500)
        return tls
    }
}
