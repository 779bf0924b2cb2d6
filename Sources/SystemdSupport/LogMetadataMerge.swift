import Logging

/// swift-log's precedence for one record: the handler's metadata, overridden by the metadata provider's,
/// overridden by the metadata passed at the call site.
enum LogMetadataMerge {
    static func merge(handler: Logger.Metadata, provider: Logger.MetadataProvider?,
                      event: Logger.Metadata?) -> Logger.Metadata {
        var merged = handler
        if let provided = provider?.get(), !provided.isEmpty {
            merged.merge(provided) { _, new in new }
        }
        if let event, !event.isEmpty {
            merged.merge(event) { _, new in new }
        }
        return merged
    }
}
