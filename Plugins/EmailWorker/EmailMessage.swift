#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#endif

/// An RFC 822 (RFC 5322) text message: headers, a blank line, the body, CRLF line ends.
struct EmailMessage {
    var from: String
    var to: String
    var subject: String
    var body: String
    var messageID: String
    var date: Date

    var rendered: String {
        let headers = [
            "From: \(from)",
            "To: \(to)",
            "Subject: \(Self.headerText(subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
        ]
        let bodyLines = body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .map { $0.hasPrefix(".") ? "." + $0 : String($0) }
        return (headers + [""] + bodyLines).joined(separator: "\r\n") + "\r\n"
    }

    /// A header value on one line: line breaks would start new headers (header injection).
    static func headerText(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }

    /// `Sat, 29 Nov 2025 06:53:00 +0000`, always in UTC and English as the RFC wants.
    static func rfc5322Date(_ date: Date) -> String {
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func twoDigits(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(twoDigits(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(1900 + parts.tm_year) "
            + "\(twoDigits(parts.tm_hour)):\(twoDigits(parts.tm_min)):\(twoDigits(parts.tm_sec)) +0000"
    }
}
