$ jobqueue enqueue tenant-1 greet '{"name": "Ada"}'
1
$ jobqueue enqueue tenant-1 greet '{"name": ""}'
2
