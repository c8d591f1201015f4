/**
 * Checks on public requests, run before anything is forwarded. Every failure is a
 * {@link io.neurosurrogate.core.DomainException} of kind INVALID_ARGUMENT (or NOT_FOUND for a model that is
 * not served) whose message names the offending field.
 */
package io.neurosurrogate.gateway.validation;
