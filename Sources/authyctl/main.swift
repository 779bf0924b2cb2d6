import AuthyCtl

await AuthyCtlCommand.start()
