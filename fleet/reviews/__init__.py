"""Mystery-shopper reviews (issue 20, in progress): service clips from badge recordings at
kiosk session edges; checklists, reviews and appeals come next."""
