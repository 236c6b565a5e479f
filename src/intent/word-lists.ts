/**
 * Word lists of the intent check. STOPWORDS: function words, request boilerplate ("create a video of") and quality
 * tags ("masterpiece", "highly detailed") that a prompt may drop without losing intent. STYLE_PHRASES: style, medium
 * and camera words users care about and rewriters often drop.
 */
export const STOPWORDS = new Set(
  `a an the and or but nor so yet of in on at to for from by with without into onto over under above below up down out off
   is are was were be been being am do does did has have had having it its it's this that these those there here
   i me my we our you your he him his she her they them their what which who whom whose when where why how
   as than then too very just also only even still again more most much many some any each every all both few such
   not no yes can could will would shall should may might must let lets let's s t d ll re ve m
   create creating make making generate generating show showing shows render rendering produce depict depicting
   video videos clip clips scene scenes image images picture pictures photo prompt footage animation shot shots frame frames
   please want like need get gets getting go goes going thru while during around near next about across along
   quality high highly best masterpiece detailed detail details resolution ultra super extremely`
    .split(/\s+/)
    .filter(Boolean),
);

export const STYLE_PHRASES = [
  "black and white", "slow motion", "time lapse", "time-lapse", "timelapse", "close-up", "close up", "wide shot", "aerial view",
  "drone shot", "bird's eye view", "first person", "pov", "tracking shot", "oil painting", "watercolor", "watercolour", "pixel art",
  "claymation", "stop motion", "cel shaded", "line art", "ukiyo-e", "studio ghibli", "ghibli", "pixar", "disney", "anime", "manga",
  "cartoon", "comic", "3d render", "3d animation", "unreal engine", "octane render", "photorealistic", "hyperrealistic",
  "hyper realistic", "cinematic", "film noir", "noir", "cyberpunk", "steampunk", "vaporwave", "synthwave", "retro", "vintage",
  "sepia", "vhs", "8mm", "16mm", "35mm", "polaroid", "documentary", "low poly", "isometric", "minimalist", "surreal", "surrealism",
  "impressionist", "baroque", "renaissance", "art deco", "art nouveau", "gothic", "lego", "origami", "sketch", "charcoal",
  "neon", "macro", "fisheye", "tilt-shift", "silhouette", "zoom in", "zoom out", "pan left", "pan right", "dolly zoom",
];
