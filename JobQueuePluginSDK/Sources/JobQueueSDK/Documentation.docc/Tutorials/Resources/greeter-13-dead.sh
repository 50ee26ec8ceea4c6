$ jobqueue dead list
ID  QUEUE     TOPIC  KIND       ATTEMPTS  DIED                  REASON
 2  tenant-1  greet  discarded         1  2026-12-01T03:01:43Z  no name
$ jobqueue dead purge 2
purged 1 job
