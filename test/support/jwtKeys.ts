/**
 * Test-only RSA key pairs and self-signed certificates for the JWT Bearer flow, made when a test runs
 * (node:crypto for the keys, the openssl CLI for the X.509 certificate, in a temporary folder that is
 * removed at once). Nothing here is ever a real key.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestKeyPair {
	/** -----BEGIN PRIVATE KEY----- */
	pkcs8: string;
	/** -----BEGIN RSA PRIVATE KEY----- (the same key) */
	pkcs1: string;
	/** -----BEGIN PUBLIC KEY----- */
	publicKey: string;
	/** -----BEGIN CERTIFICATE-----: self-signed, what an admin uploads to the app. */
	certificate: string;
	/** The same key encrypted (PKCS#8, AES-256-CBC) with `passphrase`. */
	encrypted: string;
	/** The same key as a legacy encrypted PKCS#1 PEM ("Proc-Type: 4,ENCRYPTED") with `passphrase`. */
	encryptedPkcs1: string;
	passphrase: string;
}

/** A self-signed certificate for the key, made by `openssl req -x509` as the credential guide shows. */
export function selfSignedCertificate(privateKeyPem: string): string {
	const folder = mkdtempSync(join(tmpdir(), 'sfi-jwt-cert-'));
	try {
		const keyFile = join(folder, 'server.key');
		writeFileSync(keyFile, privateKeyPem, { mode: 0o600 });
		const certFile = join(folder, 'server.crt');
		execFileSync(
			'openssl',
			[
				'req',
				'-x509',
				'-new',
				'-key',
				keyFile,
				'-subj',
				'/CN=n8n-sfi-test',
				'-days',
				'1',
				'-out',
				certFile,
			],
			{ stdio: 'ignore' },
		);
		return readFileSync(certFile, 'utf8');
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
}

export function makeTestKeyPair(passphrase = 'Test-Passphrase #1'): TestKeyPair {
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
	return {
		pkcs8,
		pkcs1: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
		publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
		certificate: selfSignedCertificate(pkcs8),
		encrypted: createPrivateKey(pkcs8)
			.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase })
			.toString(),
		encryptedPkcs1: privateKey
			.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase })
			.toString(),
		passphrase,
	};
}

/** The lines of a PEM's base64 body: a leak of the key shows at least one of them, however it is wrapped. */
export function pemBodyLines(pem: string): string[] {
	return pem.split('\n').filter((line) => line.length >= 40 && !line.startsWith('-----'));
}
