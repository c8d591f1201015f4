/**
 * Kafka at the trainer's edges: ingestion of {@code ns.traces.v1} into the dataset store (commit only
 * after records are durable; poisoned records to {@code ns.deadletter.v1}), and publication of model
 * events on {@code ns.models.v1}. Plain Kafka clients, so the delivery semantics are explicit.
 */
package io.neurosurrogate.trainer.kafka;
