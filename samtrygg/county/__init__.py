"""County and LPO level: compliance across kommuner, comparisons and county templates."""
