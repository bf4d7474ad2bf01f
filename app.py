"""Training Program Analytics: the entry point (`streamlit run app.py`)."""

from dashboard import shell

shell.run()
