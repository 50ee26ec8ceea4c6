extension String {
    /// The text with line breaks and other control characters replaced by escapes, so a message
    /// built from user input cannot spill onto a second line.
    var oneLine: String {
        guard unicodeScalars.contains(where: \.isControl) else { return self }
        return unicodeScalars.map { scalar in
            switch scalar {
            case "\n": "\\n"
            case "\r": "\\r"
            case "\t": "\\t"
            case _ where scalar.isControl: "\\u{\(String(scalar.value, radix: 16))}"
            default: String(scalar)
            }
        }.joined()
    }

    /// The text in single quotes for an error message (`'abc'`), on one line and shortened to
    /// `limit` characters so a pasted paragraph does not drown the message.
    func quotedForMessage(limit: Int = 40) -> String {
        let shown = count > limit ? prefix(limit - 1) + "…" : Substring(self)
        return "'\(String(shown).oneLine)'"
    }
}
