import Foundation
import NIOSSL

public enum PKIError: Error { case openssl(String) }
