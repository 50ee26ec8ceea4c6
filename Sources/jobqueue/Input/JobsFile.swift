import Foundation
import JobQueue

/// A JSON Lines file of jobs: one object per line, blank lines skipped. Every error names the
/// file and line, and nothing is enqueued unless every line is valid.
enum JobsFile {
    static func read(path: String) throws -> [NewJob] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError("\(path): cannot read file")
        }
        var jobs: [NewJob] = []
        for (index, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy(\.isWhitespace) { continue }
            do {
                jobs += try NewJob.fromJSON(Data(line.utf8)).jobs
            } catch {
                throw InputError("\(path):\(index + 1): \(error)")
            }
        }
        if jobs.isEmpty { throw InputError("\(path): no jobs in file") }
        return jobs
    }
}
