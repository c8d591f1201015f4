/** The trainer's gRPC edge (TrainerService): thin adapters onto the job queue and the stores. */
package io.neurosurrogate.trainer.grpc;
