import{d as e,h as t,i as n,p as r,t as i}from"./Page-DAs8ugKs.js";import{d as a,i as o,l as s,n as c,o as l,r as u,t as d}from"./status-BodZbQqM.js";import{i as f,t as p}from"./index-vGJRL1K5.js";import{t as m}from"./useTokenFromPath-DMjTYxHK.js";var h=t(r(),1),g=n(),_=s(`
  mutation SignInWithLink($token: String!) {
    signInWithLink(token: $token) {
      expiresAt
      viewer {
        signedIn
      }
    }
  }
`);function v(){let{token:t,forget:n}=m(`signInLink`),[{error:r},s]=a(_),{sessionChanged:v}=f(),y=e(),b=(0,h.useRef)(null),[x,S]=(0,h.useState)(0);return(0,h.useEffect)(()=>{if(t===null)return;let e=`${t}#${x}`;b.current!==e&&(b.current=e,s({token:t}).then(e=>{e.error===void 0?(n(),v(),y(p.space(),{replace:!0})):o(e.error)&&n()}))},[t,x,s,n,v,y]),t===null||r!==void 0&&o(r)?(0,g.jsxs)(i,{title:`Lien de connexion non valable`,children:[r===void 0?(0,g.jsx)(`p`,{children:`Ce lien de connexion est incomplet.`}):(0,g.jsx)(d,{error:r,title:`Ce lien ne permet pas de vous connecter`}),(0,g.jsx)(`p`,{children:`Un lien de connexion est valable 30 minutes et ne sert qu'une fois. Demandez-en un nouveau : c'est immédiat.`}),(0,g.jsx)(l,{linkProps:{to:p.signIn()},children:`Recevoir un nouveau lien`})]}):r===void 0?(0,g.jsx)(i,{title:`Connexion en cours`,children:(0,g.jsx)(c,{label:`Connexion en cours, un instant…`})}):(0,g.jsxs)(i,{title:`Connexion impossible pour le moment`,children:[(0,g.jsx)(d,{error:r,title:`La connexion n'a pas abouti`}),u(r)?(0,g.jsx)(l,{onClick:()=>S(e=>e+1),children:`Réessayer`}):(0,g.jsx)(l,{linkProps:{to:p.signIn()},children:`Recevoir un nouveau lien`})]})}export{v as default};