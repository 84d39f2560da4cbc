"""The synthetic demo warehouse: returns written as real workbooks and taken in (build), its actions and explanations."""
