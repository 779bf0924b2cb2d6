import AuthyWebhooksDaemon

await DaemonCommand.start()
