export * from './call-outcome';
export * from './classify-http-error';
export * from './resilient-http.client';
