/** A generated file (an export or a meeting pack) as an HTTP answer. */
export interface GeneratedFile {
	body: string | Buffer;
	type: string;
	filename: string;
	disposition: 'inline' | 'attachment';
	csp?: string;
}

export function fileResponse(file: GeneratedFile): Response {
	return new Response(typeof file.body === 'string' ? file.body : new Uint8Array(file.body), {
		headers: {
			'content-type': file.type,
			'content-disposition': `${file.disposition}; filename="${file.filename}"`,
			'cache-control': 'no-store',
			'x-content-type-options': 'nosniff',
			...(file.csp ? { 'content-security-policy': file.csp } : {})
		}
	});
}
