import App

await CommandLineMain.run()
