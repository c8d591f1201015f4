/**
 * The loaded model versions: fetching artifacts from the trainer and verifying them (size, sha256),
 * the cache on disk, installing and unloading versions as model events arrive, and resolving
 * (model, version | "latest") for requests.
 */
package io.neurosurrogate.inference.registry;
