"""From a sheet to tidy figures: the table (layout, headers), periods, codes and canonical units."""
