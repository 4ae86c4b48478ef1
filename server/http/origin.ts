import type { Request } from 'express';

/** scheme://host of the request, for absolute links (honours X-Forwarded-* with TRUST_PROXY). */
export const origin = (req: Request) => `${req.protocol}://${req.get('host')}`;
