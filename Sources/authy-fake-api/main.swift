// authy-fake-api: a local fake of Authy's webhooks API (see `authy-fake-api --help`).
import FakeAuthyAPI

await FakeAuthyAPICommand.runFromCommandLine()
