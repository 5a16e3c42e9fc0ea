// The optional OpenRouter lane for haiku-family requests: its public endpoint and the model
// choices offered by default. Any other OpenRouter slug (`vendor/model`) is allowed too.

export const OPENROUTER_DEFAULT_BASE_URL = 'https://openrouter.ai/api/v1';

/** Slugs as listed on openrouter.ai (model pages `minimax/minimax-m2.5` and `z-ai/glm-5`). */
export const OPENROUTER_MODEL_CHOICES: ReadonlyArray<{ id: string; display_name: string }> = [
  { id: 'minimax/minimax-m2.5', display_name: 'MiniMax M2.5' },
  { id: 'z-ai/glm-5', display_name: 'GLM-5' },
];

export const DEFAULT_OPENROUTER_MODEL = OPENROUTER_MODEL_CHOICES[0].id;
