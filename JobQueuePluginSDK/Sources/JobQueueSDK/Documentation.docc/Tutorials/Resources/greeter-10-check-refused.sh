$ jobqueue check      # with `config: { greting: Hello }`, misspelt
ok    config.yaml: valid
FAIL  greet: jq_init failed: DecodingError.keyNotFound: Key 'greeting' not found in keyed decoding container. Debug description: No value associated with key CodingKeys(stringValue: "greeting", intValue: nil) ("greeting").
Error: 1 of 1 plugins failed the check
