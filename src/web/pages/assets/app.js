// Audio seeking, highlighting and shortcuts for the call page (src/web/pages).
