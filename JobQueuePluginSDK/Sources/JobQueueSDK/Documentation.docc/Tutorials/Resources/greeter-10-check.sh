$ jobqueue check
ok    config.yaml: valid
ok    greet: /home/you/src/Greeter/.build/debug/libGreeter.so
