"""The studio: `broadcaster serve`, the whole job in a browser page.

app.py assembles the routes behind security.py; store.py keeps episodes and their
versions in the data folder; jobs.py renders in worker processes (worker.py);
api.py is the JSON API the page uses; pages.py the HTML pages and downloads.
"""
