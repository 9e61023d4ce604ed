"""The book in a real browser: headless Chromium (Debian's) driven by Playwright."""
