-- A CSV upload is streamed into contact_import_rows a chunk per transaction (a long upload
-- must not hold one transaction open: that would hold back every log reader's horizon). The
-- import is `receiving` until its last row is stored; one left so by a crash never starts.
alter table contact_imports drop constraint contact_imports_status_check;
alter table contact_imports add constraint contact_imports_status_check
  check (status in ('receiving', 'uploaded', 'queued', 'running', 'done', 'failed'));
