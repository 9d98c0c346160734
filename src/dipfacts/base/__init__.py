"""The fact base: its model, loader, files, dates, errors and text normalisation — imports nothing above it."""
