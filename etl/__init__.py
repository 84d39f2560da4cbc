"""Loading quarterly returns and targets into the warehouse: read → detect layout → validate →
normalise → store (one transaction). Never imports streamlit or plotly."""
