"""The HTTP layer around the Dash app: serving, proxies, health checks, cached answers, security."""
