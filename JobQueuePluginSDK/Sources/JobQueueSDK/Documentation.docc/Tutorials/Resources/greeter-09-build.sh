$ swift build
…
[25/26] Linking libGreeter.so
Build complete!
$ ls .build/debug/*.so
.build/debug/libGreeter.so

$ export PATH="$HOME/src/jobqueue/.build/debug:$PATH"
