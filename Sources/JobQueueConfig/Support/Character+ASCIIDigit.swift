extension Character {
    /// `0`…`9` only; `Character.isNumber` would also accept other scripts' digits and fractions.
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
