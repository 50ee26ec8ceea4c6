/// A deliberately plain address check: `local@domain.tld`, printable ASCII, no spaces, quotes or
/// angle brackets. Enough to catch typos and header injection; real validation is the mail
/// server's answer.
enum EmailAddress {
    static func isValid(_ address: String) -> Bool {
        let bytes = Array(address.utf8)
        guard bytes.count <= 254, let at = bytes.firstIndex(of: UInt8(ascii: "@")) else { return false }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        guard !local.isEmpty, local.count <= 64, !domain.isEmpty else { return false }
        let forbidden: Set<UInt8> = Set("@ \"<>(),;:[]\\".utf8)
        guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7f }),
            !local.contains(where: forbidden.contains),
            !domain.contains(where: forbidden.contains)
        else { return false }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty && $0.first != UInt8(ascii: "-") }
    }
}
