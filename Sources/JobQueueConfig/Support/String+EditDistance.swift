extension String {
    /// The candidate this string is most plausibly a typo of, if any is close enough: used to
    /// suggest `concurrency` for `concurency`.
    ///
    /// Compares case-insensitively by edit distance (insertions, deletions, substitutions and
    /// swaps of neighbours each cost 1). Close enough means at most a third of this string's
    /// length, at least 1 and at most 3; the first best candidate wins ties.
    func closestMatch(in candidates: [String]) -> String? {
        let threshold = Swift.min(3, Swift.max(1, count / 3))
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = lowercased().editDistance(to: candidate.lowercased())
            if distance <= threshold, distance < (best?.distance ?? .max) {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }

    /// The optimal-string-alignment distance between the two strings' characters.
    func editDistance(to other: String) -> Int {
        let source = Array(self)
        let target = Array(other)
        if source.isEmpty || target.isEmpty { return Swift.max(source.count, target.count) }
        // rows[i][j]: distance between the first i characters of source and first j of target.
        var rows = [[Int]](repeating: [Int](repeating: 0, count: target.count + 1), count: source.count + 1)
        for i in 0...source.count { rows[i][0] = i }
        for j in 0...target.count { rows[0][j] = j }
        for i in 1...source.count {
            for j in 1...target.count {
                let substitution = source[i - 1] == target[j - 1] ? 0 : 1
                var distance = Swift.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + substitution)
                if i > 1, j > 1, source[i - 1] == target[j - 2], source[i - 2] == target[j - 1] {
                    distance = Swift.min(distance, rows[i - 2][j - 2] + 1)
                }
                rows[i][j] = distance
            }
        }
        return rows[source.count][target.count]
    }
}
