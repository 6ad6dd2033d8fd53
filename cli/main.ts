console.error("linger: not built yet"); process.exit(1);
