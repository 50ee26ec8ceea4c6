import JobQueueSDK

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#endif

/// An example plugin in Swift: "sends" an email by writing it as an RFC 822 `.eml` file into an
/// outbox folder, where a mail transfer agent (or a person) can pick it up.
///
/// Config:  `{"outbox": "/var/spool/jobqueue-outbox", "from": "noreply@example.com", "sent_topic": "email:sent"}`
///          (`outbox` required; `from` defaults to `noreply@jobqueue.invalid`; `sent_topic` optional)
/// Payload: `{"to": "ada@example.com", "subject": "Hello", "body": "..."}`
///
/// An invalid address is an error; a payload missing a field is discarded (the SDK does that when
/// the payload does not decode). With `sent_topic`, each sent email enqueues a follow-up job on
/// that topic in the same queue, whose payload names the written file.
struct EmailWorker: JobWorker {
    struct Config: Decodable {
        var outbox: String
        var from: String?
        var sentTopic: String?

        enum CodingKeys: String, CodingKey {
            case outbox, from
            case sentTopic = "sent_topic"
        }
    }

    struct Email: Decodable {
        var to: String
        var subject: String
        var body: String
    }

    /// Why the configuration was refused.
    struct ConfigError: Error, CustomStringConvertible {
        var description: String
    }

    let outbox: String
    let from: String
    let sentTopic: String?

    init(configJSON: String) throws {
        let config: Config
        do {
            config = try JSONDecoder().decode(Config.self, from: Data(configJSON.utf8))
        } catch {
            throw ConfigError(description: "config needs {\"outbox\": \"/path\"}: \(error)")
        }
        var info = stat()
        guard stat(config.outbox, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw ConfigError(description: "outbox \(config.outbox) is not a folder")
        }
        let from = config.from ?? "noreply@jobqueue.invalid"
        guard EmailAddress.isValid(from) else { throw ConfigError(description: "invalid from address: \(from)") }
        outbox = config.outbox
        self.from = from
        sentTopic = config.sentTopic
    }

    func perform(_ email: Email, _ meta: JobMetadata, _ context: JobContext) throws -> JobResult {
        guard EmailAddress.isValid(email.to) else { return .error("invalid address: \(email.to)") }

        let message = EmailMessage(
            from: from, to: email.to, subject: email.subject, body: email.body,
            messageID: "\(meta.itemID).\(meta.attempt)@jobqueue", date: Date()
        )
        let path = "\(outbox)/\(meta.itemID).eml"
        // Atomic: written under a temporary name, then renamed, so the outbox never holds half a mail.
        try Data(message.rendered.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        context.log("wrote \(path) for \(email.to)")

        if let sentTopic {
            try context.enqueue(queueID: meta.queueID, topic: sentTopic, json: ["file": path, "to": email.to])
        }
        return .ok(path)
    }
}

/// The plugin's one line: installs EmailWorker when the host loads the plugin.
@_cdecl("jq_init")
public func jqInit(_ config: UnsafePointer<CChar>?, _ error: UnsafeMutablePointer<CChar>?, _ size: Int) -> Int32 {
    JobQueueSDK.install(EmailWorker.self, config, error, size)
}
