/**
 * A DeepSpeed ZeRO-3 config for the Hugging Face Trainer integration: "auto" lets the Trainer fill batch sizes,
 * accumulation, clipping and precision from the training arguments, so the YAML stays the one source of truth.
 * 16-bit weights are gathered on save so the output folder is a plain `from_pretrained` model.
 */
export function zero3Config(): Record<string, unknown> {
  return {
    train_batch_size: "auto",
    train_micro_batch_size_per_gpu: "auto",
    gradient_accumulation_steps: "auto",
    gradient_clipping: "auto",
    zero_allow_untested_optimizer: true,
    bf16: { enabled: "auto" },
    fp16: { enabled: "auto", loss_scale: 0, loss_scale_window: 1000, initial_scale_power: 16, hysteresis: 2, min_loss_scale: 1 },
    zero_optimization: {
      stage: 3,
      overlap_comm: false,
      contiguous_gradients: true,
      sub_group_size: 1e9,
      reduce_bucket_size: "auto",
      stage3_prefetch_bucket_size: "auto",
      stage3_param_persistence_threshold: "auto",
      stage3_max_live_parameters: 1e9,
      stage3_max_reuse_distance: 1e9,
      stage3_gather_16bit_weights_on_model_save: true,
    },
  };
}
