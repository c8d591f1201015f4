/** Kafka: the follower of the compacted model-event topic {@code ns.models.v1}. */
package io.neurosurrogate.inference.kafka;
